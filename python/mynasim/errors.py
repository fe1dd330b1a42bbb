"""Exceptions of mynasim. The messages are the command line's, word for word."""


class Error(Exception):
    """Base of every mynasim error."""


class LoadError(Error):
    """A profile, scenario, dataset, waiver or client file is wrong.

    str(error) is "file:line:col: reason"; the parts are attributes too.
    """

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0, reason: str = ""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason or message


class CardError(Error):
    """The in-process card refused a request (bad APDU text, no such PIN, no answer from a mute or torn card)."""


class PcscEnvironmentError(Error):
    """A private PC/SC environment could not start or do what was asked (the message ends with its log)."""


class ServerError(Error):
    """The mock server could not start, or an admin call failed (the message has the HTTP status and body)."""


class ScenarioError(Error):
    """A selection of scenarios that cannot be made (bad shard, unknown client, nothing selected)."""
