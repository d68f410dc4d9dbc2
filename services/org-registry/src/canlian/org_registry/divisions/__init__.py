"""China's division hierarchy (NBS 2023) with its history: the dataset, loading it, and the
reads as of a date."""
