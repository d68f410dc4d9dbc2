"""test_dashboard.py imports these from `.conftest` (it is being changed on another branch and
keeps its imports until that lands); the fixtures themselves are in tests/metrics/conftest.py."""

from ..conftest import CHENGGUAN, LANZHOU, QILIHE, VILLAGE_A, VILLAGE_C, organisation

__all__ = ["CHENGGUAN", "LANZHOU", "QILIHE", "VILLAGE_A", "VILLAGE_C", "organisation"]
