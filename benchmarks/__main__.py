"""``make bench``: every benchmark in turn; each prints its own figures."""

import asyncio

from benchmarks import alerts, checkout

if __name__ == "__main__":
    asyncio.run(checkout.main())
    asyncio.run(alerts.main())
