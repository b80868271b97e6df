"""TwinError: a libtwin status code with its message."""

# The TWIN_ERR_* codes of include/twin.h; never renumbered.
OK = 0
ERR_IO = 1
ERR_FORMAT = 2
ERR_ARG = 3
ERR_NOT_FOUND = 4
ERR_BUFFER = 5
ERR_GEOMETRY = 6
ERR_CRS = 7
ERR_INTERNAL = 99


class TwinError(Exception):
    """A libtwin call failed.

    Attributes:
        code: the status code (``ERR_IO``, ``ERR_FORMAT``, ``ERR_ARG``, ``ERR_NOT_FOUND``,
            ``ERR_BUFFER``, ``ERR_GEOMETRY``, ``ERR_CRS``, ``ERR_INTERNAL``; a code not listed
            here is a failure too).
        message: libtwin's message, naming the function and what was wrong.
    """

    def __init__(self, code: int, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} (status {self.code})"
