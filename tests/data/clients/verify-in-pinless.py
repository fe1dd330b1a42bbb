#!/usr/bin/python3
"""A deliberately broken client for the harness's own tests: in PIN無し mode it first sends a VERIFY of
the auth PIN (which a PIN無し client must never do), then does what the reference client does.

Usage: verify-in-pinless.py MYNASIM ACTION OPTIONS...
"""
import os
import sys

mynasim, args = sys.argv[1], sys.argv[2:]
if "--pinless" in args:
    from smartcard.System import readers  # python3-pyscard, through the bench's PCSCLITE_CSOCK_NAME
    connection = readers()[0].createConnection()
    connection.connect()
    connection.transmit([0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01])
    connection.transmit([0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18])
    connection.transmit([0x00, 0x20, 0x00, 0x80, 0x04] + list(b"1234"))
    connection.disconnect()
os.execv(mynasim, [mynasim, "client"] + args)
