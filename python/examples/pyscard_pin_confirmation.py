#!/usr/bin/env python3
"""Example 2: a PC/SC client written with pyscard, against the card behind a real pcscd and the mock server.

It does 暗証番号入力による資格確認 the way a マイナンバーカード処理ソフト does: read the 利用者証明用電子証明書,
fetch a challenge, VERIFY the auth PIN, have the card sign DigestInfo(SHA-256(challenge)), send all of it to
the server, and print the insured person's qualification.

Run: PYTHONPATH=build/python /usr/bin/python3 python/examples/pyscard_pin_confirmation.py [PROFILE]
"""
import base64
import hashlib
import os
import sys
import xml.etree.ElementTree as ElementTree

import mynasim

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def transmit(connection, apdu: bytes, what: str) -> bytes:
    data, sw1, sw2 = connection.transmit(list(apdu))
    if (sw1, sw2) != (0x90, 0x00):
        raise SystemExit(f"{what}: the card answered {sw1:02X}{sw2:02X}")
    return bytes(data)


def read_certificate(connection) -> bytes:
    transmit(connection, bytes.fromhex("00A4020C02000A"), "SELECT EF 000A (auth certificate)")
    head = transmit(connection, bytes.fromhex("00B0000004"), "READ BINARY")
    total = 4 + int.from_bytes(head[2:4], "big")  # DER SEQUENCE with a two-byte length
    content = head
    while len(content) < total:
        chunk = min(total - len(content), 255)
        content += transmit(connection, bytes([0x00, 0xB0, len(content) >> 8, len(content) & 0xFF, chunk]), "READ BINARY")
    return content


def confirm(profile: str, pin: str = "1234") -> dict:
    with mynasim.Environment(profile) as env, mynasim.Server() as server:
        # libpcsclite reads the socket's name once per process: set it before pyscard's first call.
        os.environ.update(env.environment)
        from smartcard.System import readers

        connection = readers()[0].createConnection()
        connection.connect()
        transmit(connection, bytes.fromhex("00A4040C0AD392F000260100000001"), "SELECT JPKI AP")
        certificate = read_certificate(connection)

        status, body, _ = server.post("/v2/challenge", "")
        challenge = ElementTree.fromstring(body).findtext("Challenge")

        transmit(connection, bytes.fromhex("00A4020C020018"), "SELECT EF 0018 (auth PIN)")
        transmit(connection, bytes.fromhex("00200080") + bytes([len(pin)]) + pin.encode(), "VERIFY auth PIN")
        transmit(connection, bytes.fromhex("00A4020C020017"), "SELECT EF 0017 (auth key)")
        digest_info = SHA256_DIGEST_INFO + hashlib.sha256(bytes.fromhex(challenge)).digest()
        signature = transmit(connection, bytes([0x80, 0x2A, 0x00, 0x80, len(digest_info)]) + digest_info + b"\x00",
                             "COMPUTE DIGITAL SIGNATURE")
        connection.disconnect()
        del connection  # releases its PC/SC context now, while pcscd still runs

        request = (
            "<QualificationConfirmationRequest><Mode>pin</Mode>"
            f"<Certificate>{base64.b64encode(certificate).decode()}</Certificate>"
            f"<Challenge>{challenge}</Challenge>"
            f"<Signature>{base64.b64encode(signature).decode()}</Signature>"
            "</QualificationConfirmationRequest>")
        status, body, _ = server.post("/v2/confirmations", request)
        answer = ElementTree.fromstring(body)  # an XmlMsg: MessageHeader, MessageBody
        if status != 200:
            # the file could not be processed (header), or the person's lookup failed (body)
            code = answer.findtext("MessageHeader/ErrorCode") or answer.findtext("MessageBody/ProcessingResultCode")
            message = answer.findtext("MessageHeader/ErrorMessage") or answer.findtext("MessageBody/ProcessingResultMessage")
            raise SystemExit(f"the server refused: HTTP {status} {code} {message}")
        result = answer.find("MessageBody/ResultList/ResultOfQualificationConfirmation")
        print("card commands seen by the reader:", ", ".join(e["command_text"] for e in env.trace()))
        return {child.tag: child.text for child in result}


if __name__ == "__main__":
    qualification = confirm(sys.argv[1] if len(sys.argv) > 1 else "valid")
    for field in ("Name", "Sex1", "Birthdate", "InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber",
                  "InsuredBranchNumber", "InsuredCardValidDate", "InsuredCardExpirationDate"):
        print(f"{field}: {qualification.get(field)}")
