-- 0021: the engine reaches the audit trail through the store core registers
-- (cimiento.register_audit_store) instead of naming audit.log and its seal tables.
-- Same tables, same rows, same chain: only where the extension learns their names changes.
SELECT cimiento.register_audit_store(log => 'audit.log', seals => 'audit.seals', chain_base => 'audit.chain_base',
                                     sealer_state => 'audit.sealer_state', sealed_txids => 'audit.sealed_txids');
