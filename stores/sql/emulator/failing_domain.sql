SELECT EXISTS (SELECT 1 FROM {ns}emulator_failing_domains WHERE domain = $1)
