"""``make bench``: every benchmark in turn; each prints its own figures.

``python -m benchmarks NAME [ARGS]`` runs one of them (``checkout``, ``alerts``, ``reports``,
``kitchen``, ``offline``, ``city``); ``sale-cpu`` (not part of ``make bench``) measures one
sale's and one quote's CPU in process, for comparing two versions on a busy machine
(``sale-cpu --profile [sqlite]``).
Only ``reports``, ``city`` and ``sale-cpu`` take arguments (``python -m benchmarks city --help``);
``make bench`` runs ``city --scale 0.05 --minutes 3``, ``city`` alone the whole city.
"""

import asyncio
import sys

from benchmarks import alerts, checkout, city, kitchen, offline, reports, sale_cpu

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
    if name in (None, "offline"):
        asyncio.run(offline.main())
    if name in (None, "city"):
        city.main(args if name else ["--scale", "0.05", "--minutes", "3"])
    if name == "sale-cpu":
        asyncio.run(sale_cpu.main(args))
    if name not in (
        None,
        "checkout",
        "alerts",
        "reports",
        "kitchen",
        "offline",
        "city",
        "sale-cpu",
    ):
        sys.exit(
            f"unknown benchmark {name!r}: checkout, alerts, reports, kitchen, offline, city or"
            " sale-cpu"
        )
