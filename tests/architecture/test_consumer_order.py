"""A consumer applies one batch at a time unless its outcome does not depend on the order of
batches: with two in flight the later one can commit first, and an entity's older event
then lands after its newer one (canlian.common.messaging.consumer.PIPELINE_DEPTH). Each
consumer allowed more than one, with its reason."""

from __future__ import annotations

import importlib
from pathlib import Path

from canlian.common.descriptor import installed_services
from canlian.common.settings import PlatformSettings
from canlian.testing.services import runtime_of

IN_ANY_ORDER = {
    # Each entity's stored state is locked and older versions are skipped as stale; the
    # counters only add up.
    ("metrics", "metrics-rollups"),
}


def test_only_consumers_that_do_not_depend_on_order_apply_batches_at_once(
    tmp_path: Path,
) -> None:
    depths: dict[tuple[str, str], int] = {}
    for descriptor in installed_services():
        module = importlib.import_module(f"{descriptor.package}.app")
        settings = PlatformSettings(canlian_data_dir=tmp_path / descriptor.name)
        runtime = runtime_of(module.create_app(settings))
        for spec in runtime.consumer_specs:
            depths[(descriptor.name, spec.name)] = spec.pipeline_depth
    assert ("volunteers", "volunteers-referrals") in depths  # the consumers were found
    at_once = {consumer for consumer, depth in depths.items() if depth > 1}
    assert at_once == IN_ANY_ORDER
