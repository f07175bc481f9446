"""``make bench``: every benchmark in turn; each prints its own figures.

``python -m benchmarks NAME [ARGS]`` runs one of them (``checkout``, ``alerts``, ``reports``,
``kitchen``);
only ``reports`` takes arguments (``python -m benchmarks reports --help``).
"""

import asyncio
import sys

from benchmarks import alerts, checkout, kitchen, reports

if __name__ == "__main__":
    name, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else (None, [])
    if name in (None, "checkout"):
        asyncio.run(checkout.main())
    if name in (None, "alerts"):
        asyncio.run(alerts.main())
    if name in (None, "reports"):
        asyncio.run(reports.main(args))
    if name in (None, "kitchen"):
        asyncio.run(kitchen.main())
    if name not in (None, "checkout", "alerts", "reports", "kitchen"):
        sys.exit(f"unknown benchmark {name!r}: checkout, alerts, reports or kitchen")
