"""Drug master: common OPD medicines from India's National List of Essential Medicines
(generic names); the state pharmacy cell extends it through the Drugs view."""
from sqlalchemy import select

from app.extensions import db

from .models import Drug

DRUGS = [
    ("Paracetamol", "500 mg", "tablet", "oral"), ("Paracetamol", "650 mg", "tablet", "oral"),
    ("Paracetamol", "125 mg/5 ml", "syrup", "oral"), ("Ibuprofen", "400 mg", "tablet", "oral"),
    ("Diclofenac", "50 mg", "tablet", "oral"), ("Amoxicillin", "500 mg", "capsule", "oral"),
    ("Amoxicillin", "250 mg/5 ml", "syrup", "oral"),
    ("Amoxicillin + Clavulanic acid", "625 mg", "tablet", "oral"),
    ("Azithromycin", "500 mg", "tablet", "oral"), ("Doxycycline", "100 mg", "capsule", "oral"),
    ("Ciprofloxacin", "500 mg", "tablet", "oral"), ("Cefixime", "200 mg", "tablet", "oral"),
    ("Metronidazole", "400 mg", "tablet", "oral"), ("Cotrimoxazole", "960 mg", "tablet", "oral"),
    ("Nitrofurantoin", "100 mg", "capsule", "oral"), ("Albendazole", "400 mg", "tablet", "oral"),
    ("Oral rehydration salts", "20.5 g", "sachet", "oral"), ("Zinc sulphate", "20 mg", "tablet", "oral"),
    ("Ondansetron", "4 mg", "tablet", "oral"), ("Pantoprazole", "40 mg", "tablet", "oral"),
    ("Ranitidine", "150 mg", "tablet", "oral"), ("Domperidone", "10 mg", "tablet", "oral"),
    ("Cetirizine", "10 mg", "tablet", "oral"), ("Chlorpheniramine", "4 mg", "tablet", "oral"),
    ("Salbutamol", "100 mcg/dose", "inhaler", "inhalation"), ("Salbutamol", "4 mg", "tablet", "oral"),
    ("Budesonide", "200 mcg/dose", "inhaler", "inhalation"), ("Prednisolone", "10 mg", "tablet", "oral"),
    ("Amlodipine", "5 mg", "tablet", "oral"), ("Telmisartan", "40 mg", "tablet", "oral"),
    ("Enalapril", "5 mg", "tablet", "oral"), ("Atenolol", "50 mg", "tablet", "oral"),
    ("Hydrochlorothiazide", "12.5 mg", "tablet", "oral"), ("Atorvastatin", "10 mg", "tablet", "oral"),
    ("Aspirin", "75 mg", "tablet", "oral"), ("Metformin", "500 mg", "tablet", "oral"),
    ("Glimepiride", "1 mg", "tablet", "oral"), ("Insulin regular", "40 IU/ml", "injection", "SC"),
    ("Levothyroxine", "50 mcg", "tablet", "oral"), ("Ferrous sulphate + Folic acid", "100 mg + 0.5 mg", "tablet", "oral"),
    ("Calcium carbonate + Vitamin D3", "500 mg + 250 IU", "tablet", "oral"),
    ("Vitamin B complex", None, "tablet", "oral"), ("Folic acid", "5 mg", "tablet", "oral"),
    ("Amitriptyline", "10 mg", "tablet", "oral"), ("Diazepam", "5 mg", "tablet", "oral"),
    ("Chloroquine", "250 mg", "tablet", "oral"), ("Artesunate", "50 mg", "tablet", "oral"),
    ("Fluconazole", "150 mg", "tablet", "oral"), ("Clotrimazole", "1%", "cream", "topical"),
    ("Permethrin", "5%", "cream", "topical"), ("Silver sulfadiazine", "1%", "cream", "topical"),
    ("Ciprofloxacin eye drops", "0.3%", "drops", "eye"), ("Povidone iodine", "5%", "solution", "topical"),
    ("Tetanus toxoid", "0.5 ml", "injection", "IM"), ("Ceftriaxone", "1 g", "injection", "IV"),
    ("Dexamethasone", "4 mg/ml", "injection", "IM"),
]


def seed_drugs() -> None:
    have = {(d.name, d.strength, d.form) for d in db.session.execute(select(Drug)).scalars()}
    for name, strength, form, route in DRUGS:
        if (name, strength, form) not in have:
            db.session.add(Drug(name=name, strength=strength, form=form, route=route,
                                active=True))
    db.session.commit()
