"""The BioImage Archive part: REMBI -> PageTab as bia-agent writes it (`rembi`, `topagetab`, `pagetab`),
BIA's RO-Crate validator re-done offline (`crate_check`, `crate_rules`, `crate_file_list`, `crate_jsonld`,
`crate_models`), BIA RO-Crates written (`rocrate`) and the package of a project (`package`)."""
