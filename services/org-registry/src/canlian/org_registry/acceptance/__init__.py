"""Standardisation acceptance (规范化建设验收, seed 003): a region's checklist per level, the
inspection by the level above, its result and validity, re-inspection, and demonstration sites
designated only after passing."""
