"""Recruitment by open examination (公开考试, 择优录取) of committee members and liaisons."""
