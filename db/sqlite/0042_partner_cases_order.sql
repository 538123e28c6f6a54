-- "My work" at a million cases (decision 0057): the partner participations of a region in the order the broker reads
-- them (last change first), so each region's page is the first rows of one index range instead of every partner
-- participation of the region sorted.
CREATE INDEX ix_case_participants_partner_updated ON case_participants (region_code, role, updated_at DESC, id);
