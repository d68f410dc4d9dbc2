"""Training records and five-year training coverage (轮训 within each plan period)."""
