"""Limits on the size of what the tool reads, kept free of imports so any module can use them."""

#: A data file (recipients, campaign settings) larger than this is refused before it is read.
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Rendering templates may take this long in all during one command (each render also has its
#: own limit, in appeal.letters), so a campaign of many slow templates cannot hold a command for
#: hours. Reading files and writing output are not counted: a long mail-merge is fine.
MAX_COMMAND_RENDER_SECONDS = 60.0


class RenderClock:
    """The render time left to the command being run; no limit until :meth:`start` is called
    (the command line starts it for each command; a library user may too)."""

    def __init__(self) -> None:
        self.spent: float | None = None

    def start(self) -> None:
        """Start counting render time for a new command."""
        self.spent = 0.0

    def stop(self) -> None:
        """Stop counting: renders outside a command have no budget but their own."""
        self.spent = None

    def left(self) -> float | None:
        """Seconds of render time left, or None when no command is being timed."""
        return None if self.spent is None else MAX_COMMAND_RENDER_SECONDS - self.spent

    def spend(self, seconds: float) -> None:
        """Count ``seconds`` of render time against the command."""
        if self.spent is not None:
            self.spent += seconds


RENDER_CLOCK = RenderClock()
