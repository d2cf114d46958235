# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
"""libkcap.so through ctypes: finding it, and the calls' prototypes.

The library is looked for, in order, at $KCAP_LIB; in the source tree
(build/lib/libkcap.so.0, two directories above this package); where make
install put it (_config.LIBDIR, written at install); and by the dynamic
loader's own search for libkcap.so.0.
"""
import ctypes
import os

KCAP_ERRBUF_SIZE = 256
KCAP_DLT_EN10MB = 1
KCAP_DLT_RAW = 12
KCAP_PACKET_INBOUND = 1 << 0
KCAP_PACKET_OUTBOUND = 1 << 1
KCAP_PACKET_TRUNCATED = 1 << 2
KCAP_PACKET_INJECTED = 1 << 5
ENODATA = 61
ENODEV = 19
EINTR = 4


class CPacket(ctypes.Structure):
    """struct kcap_packet, as kcap_packet.h lays it out."""
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("caplen", ctypes.c_uint32),
        ("wirelen", ctypes.c_uint32),
        ("ts_ns", ctypes.c_uint64),
        ("ifindex", ctypes.c_int),
        ("ifname", ctypes.c_char_p),
        ("linktype", ctypes.c_int),
        ("flags", ctypes.c_uint32),
        ("number", ctypes.c_uint64),
    ]


def candidates():
    env = os.environ.get("KCAP_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    out = [os.path.normpath(os.path.join(here, "..", "..", "build", "lib",
                                         "libkcap.so.0"))]
    try:
        from . import _config
        out.append(os.path.join(_config.LIBDIR, "libkcap.so.0"))
    except ImportError:
        pass
    out.append("libkcap.so.0")
    return out


_lib = None


def lib():
    """The loaded library, with its prototypes; loaded at the first call."""
    global _lib
    if _lib is not None:
        return _lib
    tried = []
    for path in candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            handle = ctypes.CDLL(path, use_errno=True)
            break
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    else:
        raise OSError("kcap: libkcap.so.0 not found (tried %s); build it with "
                      "make tools, or set KCAP_LIB" % ", ".join(tried))
    P = ctypes.c_void_p
    proto = {
        "kcap_open_live": (P, [ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                               ctypes.c_int, ctypes.c_char_p]),
        "kcap_open_offline": (P, [ctypes.c_char_p, ctypes.c_char_p]),
        "kcap_close": (None, [P]),
        "kcap_geterr": (ctypes.c_char_p, [P]),
        "kcap_next": (ctypes.c_int, [P, ctypes.POINTER(ctypes.POINTER(CPacket)),
                                     ctypes.c_int]),
        "kcap_setfilter": (ctypes.c_int, [P, ctypes.c_char_p]),
        "kcap_datalink": (ctypes.c_int, [P]),
        "kcap_session_name": (ctypes.c_char_p, [P]),
        "kcap_breakloop": (None, [P]),
        "kcap_dump_open": (P, [P, ctypes.c_char_p]),
        "kcap_dump": (None, [P, ctypes.POINTER(CPacket)]),
        "kcap_dump_flush": (ctypes.c_int, [P]),
        "kcap_dump_close": (ctypes.c_int, [P]),
        "kcap_inject": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t]),
    }
    for name, (res, args) in proto.items():
        fn = getattr(handle, name)
        fn.restype = res
        fn.argtypes = args
    _lib = handle
    return _lib


def errbuf():
    return ctypes.create_string_buffer(KCAP_ERRBUF_SIZE)
