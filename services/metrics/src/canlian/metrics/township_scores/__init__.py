"""Township target scoring (003: 县市区残联每年向乡镇下达任务指标,实行百分制目标考核制度,评定
等次): a county's 100-point sheet per year, items scored from indicator values or by the
inspector, year-end totals, grades and ranks. It lives in metrics because its items are read
from the indicators metrics already computes for each township."""
