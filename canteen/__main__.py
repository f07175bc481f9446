"""``python -m canteen``: the ``canteen`` command, where the script is not on the PATH."""

import sys

from canteen.cli import main

sys.exit(main())
