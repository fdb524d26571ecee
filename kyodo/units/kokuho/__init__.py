"""国民健康保険 (kokuho): 資格 (eligibility) of the insured, reacting to the hub."""
