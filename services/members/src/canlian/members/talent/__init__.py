"""The talent pool (优秀残疾人人才库) and reserve cadres, against the city and county targets."""
