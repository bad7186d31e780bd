INSERT INTO {ns}emulator_failing_domains (domain) VALUES ($1) ON CONFLICT (domain) DO NOTHING
