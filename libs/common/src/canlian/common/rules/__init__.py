"""Rules that several services state: one definition per fact, used by every service that
answers the question (the registry, members and the metrics rollups).

- `staffing`: which places need a committee member and when one is staffed (每乡、每村各1名).
- `allowances`: whose allowance is judged against the regional minimum (村专职委员误工补贴).
- `special_associations`: a special association's funds, premises and staff (三落实).
- `denominators`: whether development zones and virtual communities count as places
  (a regional policy: the seeds leave them out).
- `full_time_chair`: a township federation's full-time chair, recorded in the registry only.

Pure functions over event enums and plain values: no database, no service imports.
"""
