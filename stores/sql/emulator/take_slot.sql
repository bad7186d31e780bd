UPDATE {ns}emulator_export_slots SET running = running + 1
WHERE organization_id = $1 AND running < $2
