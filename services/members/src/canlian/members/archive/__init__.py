"""The real-name archive (实名制管理档案): the people, their personal data encrypted and masked."""
