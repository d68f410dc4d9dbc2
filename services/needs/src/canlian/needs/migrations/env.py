from canlian.common.db.migrations import run_env

run_env()
