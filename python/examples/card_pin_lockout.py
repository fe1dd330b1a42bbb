#!/usr/bin/env python3
"""Example 1: the card in-process. Three wrong PINs lock the auth PIN; the decoded trace shows each step.

Run: PYTHONPATH=build/python /usr/bin/python3 python/examples/card_pin_lockout.py
"""
import mynasim

SELECT_JPKI_AP = "00A4040C0AD392F000260100000001"
SELECT_AUTH_PIN = "00A4020C020018"


def verify(pin: str) -> bytes:
    return bytes.fromhex("00200080") + bytes([len(pin)]) + pin.encode()


def main() -> None:
    card = mynasim.Card("valid")
    assert card.transmit(SELECT_JPKI_AP).ok
    assert card.transmit(SELECT_AUTH_PIN).ok
    for attempt in range(1, 4):
        answer = card.transmit(verify("9999"))
        print(f"wrong PIN {attempt}: SW {answer.sw:04X}, tries left {card.tries_left('auth')}")
    assert card.locked("auth")
    answer = card.transmit(verify("1234"))  # the right PIN no longer helps
    assert answer.sw == 0x6983, answer
    print("the right PIN on a locked card:", f"SW {answer.sw:04X}")
    print("\ntrace:")
    print(card.trace_text(), end="")


if __name__ == "__main__":
    main()
