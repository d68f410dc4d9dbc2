"""Designated assessment institutions (指定评定机构)."""
