-- A payment's page lists the ledger entries about it and its refunds: find entries by what they are about.
CREATE INDEX journal_entries_by_reference ON journal_entries (merchant_id, reference);
