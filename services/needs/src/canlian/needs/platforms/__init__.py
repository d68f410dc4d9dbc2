"""Service platforms (残疾人之家, 如康家园, day-care, sheltered work, institutions): services
offered, capacity, staff, opening; referrals fill and free their places."""
