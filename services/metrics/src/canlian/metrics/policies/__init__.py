"""The owners' policy values as metrics reads them: a copy kept from their PolicyValueSet events
(members' seats, the registry's funds minimums), resolved with `policy.effective`."""
