"""Federation staff (残联工作人员): cadre, seconded or part-time, disabled or not."""
