"""A progress bar on standard error for the long report commands, redrawn in place.

``[##########----------]  3/8 reading meals`` — drawn only on a terminal: in a log file or a
pipe a redrawn line is noise, so nothing is written there.
"""

import sys
from typing import TextIO


class ProgressBar:
    def __init__(self, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.label = ""

    def stage(self, label: str) -> "ProgressBar":
        """Name what the next ``(done, total)`` calls measure."""
        self.label = label
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self.stream.isatty() or total <= 0:
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done:>{len(str(total))}}/{total} {self.label}\033[K")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()
