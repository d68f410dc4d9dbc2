"""Regional values of policy parameters (canlian.common.policy), stored by the service that
owns each parameter in its own `policy_values` table and served by routes every owner mounts
(`routes.policy_router`): set per region, effective from a date, history kept, audited and
announced (PolicyValueSet), so readers resolve them with the same `policy.effective`."""
