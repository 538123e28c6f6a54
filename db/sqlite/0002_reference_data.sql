-- Reference data: partner regions (NUTS 2021), NACE Rev. 2 sections, S3 areas of the Baltic Sea Region.
-- Region codes: NUTS 2021 classification, Commission Delegated Regulation (EU) 2019/1755 (Eurostat);
-- see docs/reference-data.md. Levels differ on purpose: the programme works with these exact territories.

INSERT INTO regions (code, name, country_code, nuts_level, kind, sort_order) VALUES
('PL84',  'Podlaskie', 'PL', 2, 'supported', 1),
('LV008', 'Vidzeme', 'LV', 3, 'supported', 2),
('EE008', 'Lõuna-Eesti (South Estonia)', 'EE', 3, 'supported', 3),
('LT01',  'Sostinės regionas (Capital region of Lithuania)', 'LT', 2, 'supported', 4),
('LT02',  'Vidurio ir vakarų Lietuvos regionas (Central and Western Lithuania, incl. Kaunas)', 'LT', 2, 'supported', 5),
('DE60',  'Hamburg', 'DE', 2, 'advanced', 6),
('FI1C4', 'Kymenlaakso', 'FI', 3, 'advanced', 7),
('FI19',  'Länsi-Suomi (West Finland)', 'FI', 2, 'advanced', 8),
('DK03',  'Syddanmark (Southern Denmark)', 'DK', 2, 'advanced', 9),
('DK05',  'Nordjylland (North Denmark)', 'DK', 2, 'advanced', 10),
('SE23',  'Västsverige (West Sweden)', 'SE', 2, 'advanced', 11);

INSERT INTO nace_sections (code, name) VALUES
('A', 'Agriculture, forestry and fishing'),
('B', 'Mining and quarrying'),
('C', 'Manufacturing'),
('D', 'Electricity, gas, steam and air conditioning supply'),
('E', 'Water supply; sewerage, waste management and remediation activities'),
('F', 'Construction'),
('G', 'Wholesale and retail trade; repair of motor vehicles and motorcycles'),
('H', 'Transportation and storage'),
('I', 'Accommodation and food service activities'),
('J', 'Information and communication'),
('K', 'Financial and insurance activities'),
('L', 'Real estate activities'),
('M', 'Professional, scientific and technical activities'),
('N', 'Administrative and support service activities'),
('O', 'Public administration and defence; compulsory social security'),
('P', 'Education'),
('Q', 'Human health and social work activities'),
('R', 'Arts, entertainment and recreation'),
('S', 'Other service activities'),
('T', 'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use'),
('U', 'Activities of extraterritorial organisations and bodies');

INSERT INTO s3_areas (code, name, sort_order) VALUES
('ict-digitalisation', 'ICT and digitalisation (incl. cybersecurity)', 1),
('health-nutrition', 'Health and nutrition / smart health', 2),
('sustainable-innovation', 'Sustainable innovation and circular economy', 3),
('bioeconomy', 'Bioeconomy', 4),
('advanced-manufacturing', 'Advanced manufacturing and key enabling technologies', 5),
('smart-cities', 'Smart cities', 6),
('resource-efficiency', 'Resource efficiency', 7),
('water-management', 'Sustainable water management', 8);
