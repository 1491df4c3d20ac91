#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Raw netlink for the lagx selftests: requests that "ip" and lagxctl never
# send (attributes of a wrong length, of an unknown type) and a genl port
# dump read in pieces while ports change.  Standard library only.
#
#   lagx_nl.py link DEV [--new] [--port] TYPE:HEXBYTES...
#       RTM_NEWLINK of DEV (created with --new) carrying IFLA_INFO_DATA
#       (IFLA_INFO_SLAVE_DATA with --port) attributes TYPE with the given
#       payload; prints "ok" or "error ERRNO: EXTACK-MESSAGE".  TYPE is a
#       number or a name of linux/if_lagx.h (IFLA_LAGX_UPDELAY,
#       IFLA_LAGX_MAX+1).
#   lagx_nl.py dump-ports MASTER CMD
#       a lagx port-get dump of MASTER, read one 4 KiB buffer at a time;
#       CMD runs (sh -c) after the first buffer, so the third and later
#       buffers are filled after it.  Prints
#       "buffers N", "intr 0|1" and "port NAME" lines.

import os
import re
import socket
import struct
import subprocess
import sys

NETLINK_ROUTE = 0
NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270

NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
NLM_F_DUMP = 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSGERR_ATTR_MSG = 1
NLM_F_ACK_TLVS = 0x200

RTM_NEWLINK = 16
IFLA_IFNAME = 3
IFLA_LINKINFO = 18
IFLA_INFO_KIND = 1
IFLA_INFO_DATA = 2
IFLA_INFO_SLAVE_KIND = 4
IFLA_INFO_SLAVE_DATA = 5
NLA_F_NESTED = 0x8000

GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

# From include/uapi/linux/lagx.h (the family's generated header).
LAGX_CMD_PORT_GET = None
LAGX_A_PORT_IFNAME = None
LAGX_A_PORT_MASTER = None


def top_dir():
    return os.path.join(os.path.dirname(os.path.realpath(__file__)),
                        *[".."] * 6)


def header_enums(header):
    """Values of the enum entries and "#define X (__X - 1)" maxima of a
    uapi header of this tree (e.g. "linux/if_lagx.h")."""
    vals, val = {}, 0
    for line in open(os.path.join(top_dir(), "include/uapi", header)):
        m = re.match(r"\s*((__)?[A-Z][A-Z0-9_]*)(\s*=\s*(\d+))?,", line)
        d = re.match(r"#define\s+([A-Z][A-Z0-9_]*)\s+\((__\w+) - 1\)", line)
        if line.startswith("enum"):
            val = 0
        elif m:
            val = int(m[4]) if m[4] else val
            vals[m[1]] = val
            val += 1
        elif d:
            vals[d[1]] = vals[d[2]] - 1
    return vals


def ifla_type(tok):
    """A number, or NAME[+N] of include/uapi/linux/if_lagx.h."""
    if tok.isdigit():
        return int(tok)
    name, _, plus = tok.partition("+")
    return header_enums("linux/if_lagx.h")[name] + int(plus or 0)


def uapi_enums():
    """LAGX_CMD_PORT_GET and the port attributes, from the uapi header."""
    global LAGX_CMD_PORT_GET, LAGX_A_PORT_IFNAME, LAGX_A_PORT_MASTER
    enums = header_enums("linux/lagx.h")
    LAGX_CMD_PORT_GET = enums["LAGX_CMD_PORT_GET"]
    LAGX_A_PORT_IFNAME = enums["LAGX_A_PORT_IFNAME"]
    LAGX_A_PORT_MASTER = enums["LAGX_A_PORT_MASTER"]


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + bytes((4 - n % 4) % 4)


def attrs(data):
    out, off = {}, 0
    while off + 4 <= len(data):
        n, kind = struct.unpack_from("=HH", data, off)
        if n < 4:
            break
        out.setdefault(kind & 0x3fff, data[off + 4:off + n])
        off += (n + 3) & ~3
    return out


def nlsock(proto):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.bind((0, 0))
    return s


def messages(buf):
    off = 0
    while off + 16 <= len(buf):
        n, kind, flags, seq, pid = struct.unpack_from("=IHHII", buf, off)
        yield kind, flags, buf[off + 16:off + n]
        off += (n + 3) & ~3


def error_of(kind, flags, body):
    """None for a message that is not an error, else (errno, message)."""
    if kind != NLMSG_ERROR:
        return None
    err = -struct.unpack_from("=i", body)[0]
    msg = ""
    if flags & NLM_F_ACK_TLVS:
        olen = struct.unpack_from("=I", body, 4)[0]
        # The request is echoed unless capped; skip it.
        skip = 4 + (16 if flags & 0x100 else olen)
        tlvs = attrs(body[skip:])
        if NLMSGERR_ATTR_MSG in tlvs:
            msg = tlvs[NLMSGERR_ATTR_MSG].rstrip(b"\0").decode()
    return err, msg


def cmd_link(args):
    dev, new, port, spec = args[0], False, False, []
    for a in args[1:]:
        if a == "--new":
            new = True
        elif a == "--port":
            port = True
        else:
            t, hexb = a.split(":")
            spec.append(attr(ifla_type(t), bytes.fromhex(hexb)))
    data = b"".join(spec)
    if port:
        info = attr(IFLA_INFO_SLAVE_KIND, b"lagx\0") + \
            attr(IFLA_INFO_SLAVE_DATA | NLA_F_NESTED, data)
    else:
        info = attr(IFLA_INFO_KIND, b"lagx\0") + \
            attr(IFLA_INFO_DATA | NLA_F_NESTED, data)
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0) + \
        attr(IFLA_IFNAME, dev.encode() + b"\0") + \
        attr(IFLA_LINKINFO | NLA_F_NESTED, info)
    flags = NLM_F_REQUEST | NLM_F_ACK
    if new:
        flags |= NLM_F_CREATE | NLM_F_EXCL
    s = nlsock(NETLINK_ROUTE)
    s.send(struct.pack("=IHHII", 16 + len(body), RTM_NEWLINK, flags, 1, 0) +
           body)
    for kind, fl, b in messages(s.recv(65536)):
        e = error_of(kind, fl, b)
        if e is not None:
            print("ok" if e[0] == 0 else "error %d: %s" % e)
            return 0
    print("no answer")
    return 1


def genl_family(s, name):
    body = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + \
        attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
    s.send(struct.pack("=IHHII", 16 + len(body), GENL_ID_CTRL,
                       NLM_F_REQUEST, 1, 0) + body)
    for kind, fl, b in messages(s.recv(65536)):
        if error_of(kind, fl, b):
            raise SystemExit("no genl family %s" % name)
        return struct.unpack("=H", attrs(b[4:])[CTRL_ATTR_FAMILY_ID])[0]


def cmd_dump_ports(args):
    master, cmd = args[0], args[1]
    uapi_enums()
    fam = genl_family(nlsock(NETLINK_GENERIC), "lagx")
    # A socket of its own: netlink sizes dump buffers by the largest
    # recv() a socket has done, and the family lookup did a large one.
    s = nlsock(NETLINK_GENERIC)
    body = struct.pack("=BBH", LAGX_CMD_PORT_GET, 1, 0) + \
        attr(LAGX_A_PORT_MASTER, struct.pack("=I", socket.if_nametoindex(master)))
    s.send(struct.pack("=IHHII", 16 + len(body), fam,
                       NLM_F_REQUEST | NLM_F_DUMP, 2, 0) + body)
    names, intr, nbuf, done = [], 0, 0, False
    while not done:
        # A small buffer: the dump resumes for every buffer it fills
        # (the kernel fills the next one while this one is read).
        buf = s.recv(4096)
        nbuf += 1
        for kind, fl, b in messages(buf):
            if fl & NLM_F_DUMP_INTR:
                intr = 1
            if kind == NLMSG_DONE:
                done = True
                break
            e = error_of(kind, fl, b)
            if e is not None:
                print("error %d: %s" % e)
                return 1
            a = attrs(b[4:])
            names.append(a[LAGX_A_PORT_IFNAME].rstrip(b"\0").decode())
        if nbuf == 1 and not done:
            subprocess.run(["sh", "-c", cmd], check=True)
    print("buffers %d" % nbuf)
    print("intr %d" % intr)
    for n in names:
        print("port %s" % n)
    return 0


def main():
    if len(sys.argv) < 3:
        print(__doc__ or "usage: see the header", file=sys.stderr)
        return 2
    if sys.argv[1] == "link":
        return cmd_link(sys.argv[2:])
    if sys.argv[1] == "dump-ports":
        return cmd_dump_ports(sys.argv[2:])
    return 2


if __name__ == "__main__":
    sys.exit(main())
