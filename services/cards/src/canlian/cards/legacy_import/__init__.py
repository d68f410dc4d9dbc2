"""Import of legacy card registers (Excel or CSV)."""
