"""Applications (申请) with their assessment (评定) and review (审核)."""
