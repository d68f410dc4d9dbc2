"""The committee members' mobile app: their own visits and the households they serve."""
