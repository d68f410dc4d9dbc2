"""Import jobs: a large spreadsheet import accepted with 202 and run in the background.

The caller asks with `Prefer: respond-async` (RFC 7240), or sends more rows than
CANLIAN_IMPORT_BACKGROUND_ROWS; the route stores the upload (sealed with the personal-data
key) as a queued job in the service's `import_jobs` table and answers 202 with the job's
Location. A worker in every service process claims queued jobs (`FOR UPDATE SKIP LOCKED`
on PostgreSQL, so replicas share them), runs the same import code the synchronous route runs
and writes its report, or the problem the route would have answered, in the import's own
transaction. `GET /v1/import-jobs/{id}` shows progress to the caller's region.

Modules: `table` (the table, opt-in per service), `kinds` (what a service registers and what
a run gets), `repository` (every query), `schemas` (the job as the API shows it),
`accepting` (the route's side), `worker`, `routes`.
"""
