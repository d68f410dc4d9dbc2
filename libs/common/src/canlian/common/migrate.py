"""`python -m canlian.common.migrate <service>`: run one service's migrations.

What a container's migration job runs; it needs only the service's own package installed
(the `canlian migrate` command needs them all).
"""

from __future__ import annotations

import asyncio
import sys

from canlian.common.db.migrations import upgrade
from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings, load_settings


def main(argv: list[str]) -> int:
    services = {service.name: service for service in installed_services()}
    if len(argv) != 1 or argv[0] not in services:
        sys.stderr.write(f"usage: python -m canlian.common.migrate {{{','.join(services)}}}\n")
        return 2
    asyncio.run(upgrade(services[argv[0]], load_settings(PlatformSettings)))
    sys.stderr.write(f"migrated {argv[0]}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
