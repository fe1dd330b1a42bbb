"""What an in-process card answers: the response data and the status word."""
from typing import NamedTuple


class Response(NamedTuple):
    """A response APDU: `data, sw = card.transmit(...)` unpacks it."""

    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        """True for 90 00."""
        return self.sw == 0x9000

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    def __repr__(self) -> str:
        data = self.data.hex().upper()
        if len(data) > 64:
            data = f"{data[:64]}… ({len(self.data)} bytes)"
        return f"Response(sw={self.sw:04X}, data={data or '-'})"
