#!/usr/bin/python3
"""A small PC/SC client on python3-pyscard, used by the integration tests.

  pcsc_client.py session PIN CERT_DER     SELECT / READ (chunked) / VERIFY / sign; the certificate read must
                                          equal CERT_DER and the signature must verify (openssl).
  pcsc_client.py serial                   print the auth certificate's serial number (hex)
  pcsc_client.py read-until-removed       read the certificate in a loop until the card is pulled out; print
                                          the error; wait for the card to come back; read once more
"""
import hashlib
import subprocess
import sys
import tempfile
import time

from smartcard.CardConnection import CardConnection
from smartcard.scard import (SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1, SCARD_S_SUCCESS,
                             SCARD_SCOPE_USER, SCARD_SHARE_SHARED, SCARD_STATE_PRESENT, SCARD_STATE_UNAWARE,
                             SCARD_W_REMOVED_CARD, SCardConnect, SCardDisconnect, SCardEstablishContext,
                             SCardGetErrorMessage, SCardGetStatusChange, SCardReleaseContext, SCardTransmit)
from smartcard.System import readers

READER = "Virtual PCD 00 00"
SELECT_JPKI = [0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]


def connect():
    reader = next(r for r in readers() if str(r) == READER)
    connection = reader.createConnection()
    connection.connect(CardConnection.T1_protocol)
    return connection


def send(connection, apdu, expect=0x9000):
    data, sw1, sw2 = connection.transmit(apdu)
    sw = sw1 << 8 | sw2
    if expect is not None and sw != expect:
        raise SystemExit(f"APDU {bytes(apdu).hex().upper()} answered {sw:04X}, expected {expect:04X}")
    return bytes(data), sw


def read_certificate(connection):
    send(connection, SELECT_JPKI)
    send(connection, [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A])
    head, _ = send(connection, [0x00, 0xB0, 0x00, 0x00, 0x04])
    total = 4 + (head[2] << 8 | head[3])
    der = bytearray(head)
    while len(der) < total:
        chunk, sw = send(connection, [0x00, 0xB0, len(der) >> 8, len(der) & 0xFF, 0x00], expect=None)
        if sw not in (0x9000, 0x6282) or not chunk:
            raise SystemExit(f"READ BINARY at {len(der)} answered {sw:04X}")
        der += chunk
    return bytes(der[:total])


def session(pin, cert_file):
    connection = connect()
    der = read_certificate(connection)
    with open(cert_file, "rb") as f:
        if f.read() != der:
            raise SystemExit("the certificate read through PC/SC differs from the profile's")
    send(connection, [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18])
    _, sw = send(connection, [0x00, 0x20, 0x00, 0x80], expect=None)
    if sw >> 4 != 0x63C:
        raise SystemExit(f"empty VERIFY answered {sw:04X}")
    send(connection, [0x00, 0x20, 0x00, 0x80, len(pin)] + list(pin.encode()))
    challenge = b"TEST pyscard challenge"
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(challenge).digest()
    send(connection, [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17])
    signature, _ = send(connection, [0x80, 0x2A, 0x00, 0x80, len(digest_info)] + list(digest_info) + [0x00])
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in (("cert.der", der), ("sig", signature), ("data", challenge)):
            with open(f"{tmp}/{name}", "wb") as f:
                f.write(content)
        pub = subprocess.run(["openssl", "x509", "-inform", "DER", "-in", f"{tmp}/cert.der", "-pubkey", "-noout"],
                             check=True, capture_output=True).stdout
        with open(f"{tmp}/pub", "wb") as f:
            f.write(pub)
        verify = subprocess.run(["openssl", "dgst", "-sha256", "-verify", f"{tmp}/pub", "-signature", f"{tmp}/sig",
                                 f"{tmp}/data"], capture_output=True, text=True)
        if "Verified OK" not in verify.stdout:
            raise SystemExit("the signature does not verify: " + verify.stdout + verify.stderr)
    print("session ok")


def serial():
    der = read_certificate(connect())
    out = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-serial"], input=der, capture_output=True,
                         check=True).stdout.decode()
    print(out.strip().split("=")[1])


def wait_for_card(timeout_s):
    rv, context = SCardEstablishContext(SCARD_SCOPE_USER)
    assert rv == SCARD_S_SUCCESS
    deadline = time.time() + timeout_s
    try:
        while time.time() < deadline:
            rv, states = SCardGetStatusChange(context, 500, [(READER, SCARD_STATE_UNAWARE)])
            if rv == SCARD_S_SUCCESS and states[0][1] & SCARD_STATE_PRESENT:
                return True
            time.sleep(0.05)
        return False
    finally:
        SCardReleaseContext(context)


def read_until_removed():
    """Low-level PC/SC calls, so the exact return codes can be checked."""
    rv, context = SCardEstablishContext(SCARD_SCOPE_USER)
    assert rv == SCARD_S_SUCCESS
    rv, card, protocol = SCardConnect(context, READER, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
    if rv != SCARD_S_SUCCESS:
        raise SystemExit("SCardConnect: " + SCardGetErrorMessage(rv))
    reads = 0
    apdus = [SELECT_JPKI, [0x00, 0xB0, 0x8A, 0x00, 0x00]]
    while True:
        rv, _ = SCardTransmit(card, protocol, apdus[reads % 2])
        if rv != SCARD_S_SUCCESS:
            break
        reads += 1
        if reads > 200000:
            raise SystemExit("the card was never removed")
    first = SCardGetErrorMessage(rv)
    # The APDU in flight fails ("transaction failed"); once pcscd's presence poll (~0.4 s) notices,
    # the handle reports the removal.
    deadline = time.time() + 3
    while True:
        rv_next, _ = SCardTransmit(card, protocol, SELECT_JPKI)
        if rv_next == SCARD_W_REMOVED_CARD or time.time() > deadline:
            break
        time.sleep(0.05)
    print(f"after {reads} APDUs: {first} (0x{rv & 0xFFFFFFFF:08X}); next call: "
          f"{SCardGetErrorMessage(rv_next)} (0x{rv_next & 0xFFFFFFFF:08X})", flush=True)
    if SCARD_W_REMOVED_CARD not in (rv, rv_next):
        raise SystemExit("PC/SC never reported SCARD_W_REMOVED_CARD")
    SCardDisconnect(card, SCARD_LEAVE_CARD)
    SCardReleaseContext(context)
    if not wait_for_card(30):
        raise SystemExit("the card did not come back")
    read_certificate(connect())
    print("read again after re-insert: ok")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "session":
        session(sys.argv[2], sys.argv[3])
    elif command == "serial":
        serial()
    elif command == "read-until-removed":
        read_until_removed()
    else:
        raise SystemExit(__doc__)
