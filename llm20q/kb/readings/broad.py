"""Readings of the broad taxonomy questions: what people mean by device, machine, tool,
container, food, man-made... (issue 20 item 3). Rules run before WordNet's own answer.

Each reading says in rules what the panel's rubric (docs/panel.md) says in words: an appliance,
electronics, a lamp or a power tool is a device, an instrument or a mirror is not; motor
vehicles, aircraft and appliances with motors are machines, phones and calculators are not; a
vehicle or a spoon is no container; prepared food, drink and toiletries are man-made; a drink
is not food; nothing physical is an abstract idea (WordNet puts every substance under
``part.n.01``, a relation, hence "abstract"); clothes are not "coverings".

Shortcut: written from ordinary usage and WordNet's tree, not fitted; a rule's synsets are the
broadest ones that read right, so a rule speaks for whole families, not for single words.
"""

from __future__ import annotations

from llm20q.kb.readings.rules import Gloss, Is, Reading

_ELECTRIC = ("electric", "electrical", "electrically", "electronic", "battery", "motor")

BROAD: tuple[Reading, ...] = (
    Reading("Is it man-made?", (
        Is(("produce.n.01", "milk.n.01", "egg.n.02", "water.n.06", "honey.n.01",
            "natural_object.n.01", "organism.n.01"), False),
        Is(("dish.n.02", "baked_goods.n.01", "beverage.n.01", "dessert.n.01", "sweet.n.03",
            "cheese.n.01", "chocolate.n.02", "sandwich.n.01", "condiment.n.01",
            "cleansing_agent.n.01", "toiletry.n.01", "cosmetic.n.01", "building.n.01",
            "structure.n.01", "educational_institution.n.01"), True),
    )),
    Reading("Is it a device?", (
        Is(("musical_instrument.n.01", "reflector.n.01", "candle.n.01", "spectacles.n.01",
            "sunglasses.n.01", "weapon.n.01", "vehicle.n.01"), False),
        Is(("appliance.n.02", "home_appliance.n.01", "electronic_equipment.n.01",
            "electrical_device.n.01", "electronic_device.n.01", "machine.n.01",
            "power_tool.n.01", "timepiece.n.01", "lamp.n.02", "source_of_illumination.n.01",
            "computer.n.01", "telephone.n.01", "camera.n.01", "television_receiver.n.01",
            "mower.n.01"), True),
        Gloss(_ELECTRIC, True, ("artifact.n.01",)),
    )),
    Reading("Is it a machine?", (
        Is(("calculator.n.02", "telephone.n.01", "television_receiver.n.01", "camera.n.01",
            "timepiece.n.01", "computer.n.01"), False),
        Is(("white_goods.n.01", "vacuum.n.04", "mixer.n.04", "power_tool.n.01",
            "motor_vehicle.n.01", "locomotive.n.01", "train.n.01", "airplane.n.01",
            "helicopter.n.01", "mower.n.01", "dishwasher.n.01"), True),
        Gloss(("motor", "engine"), True, ("artifact.n.01",)),
    )),
    Reading("Is it a tool?", (
        Is(("cutlery.n.02", "tableware.n.01", "container.n.01"), False),
        Is(("garden_tool.n.01", "edge_tool.n.01", "scissors.n.01", "hand_tool.n.01",
            "power_tool.n.01", "knife.n.01"), True),
    )),
    Reading("Is it a container?", (
        Is(("vehicle.n.01", "conveyance.n.03", "cutlery.n.02", "spoon.n.01", "room.n.01",
            "building.n.01", "plate.n.04"), False),
        Is(("vessel.n.03", "bag.n.01", "case.n.05", "box.n.01", "bottle.n.01", "jar.n.01",
            "pot.n.01", "pan.n.01", "saucepan.n.01", "cup.n.01", "mug.n.04", "bucket.n.01"),
           True),
    )),
    Reading("Is it an abstract idea?", (Is(("physical_entity.n.01",), False),)),
    Reading("Is it a covering, like a lid, a sheet or a roof?", (
        Is(("clothing.n.01", "footwear.n.01", "footwear.n.02", "headdress.n.01",
            "piece_of_cloth.n.01"), False),
    )),
    Reading("Is it food?", (
        Is(("beverage.n.01", "milk.n.01", "feed.n.01", "fodder.n.02"), False),
        Is(("edible_fruit.n.01", "vegetable.n.01", "dish.n.02", "baked_goods.n.01",
            "foodstuff.n.02", "meat.n.01", "dessert.n.01", "sweet.n.03"), True),
    ), any_sense=True),
    Reading("Is it a drink?", (Is(("beverage.n.01", "milk.n.01"), True),)),
    Reading("Is it a fruit?", (
        Is(("vegetable.n.01",), False),
        Is(("edible_fruit.n.01",), True),
    ), any_sense=True),
    Reading("Is it a vegetable?", (
        Is(("edible_fruit.n.01",), False),
        Is(("vegetable.n.01",), True),
    ), any_sense=True),
    Reading("Is it a substance or a material?", (
        Is(("food.n.02", "solid_food.n.01", "edible_fruit.n.01", "vegetable.n.01",
            "dish.n.02", "baked_goods.n.01"), False),
    )),
    Reading("Is it a physical object you can touch?", (
        Is(("phenomenon.n.01", "process.n.06", "atmospheric_phenomenon.n.01",
            "cloud.n.01", "cloud.n.02"), False),
    )),
    Reading("Is it a kitchen utensil?", (
        Is(("home_appliance.n.01", "electrical_device.n.01", "tableware.n.01"), False),
        Gloss(_ELECTRIC, False, ("artifact.n.01",)),
        Is(("cutlery.n.02", "knife.n.01", "spoon.n.01", "fork.n.01", "turner.n.08"), True),
    )),
    Reading("Is it electronic equipment?", (
        Is(("computer.n.01", "telephone.n.01", "television_receiver.n.01", "camera.n.01",
            "calculator.n.02", "earphone.n.01", "headphone.n.01", "radio_receiver.n.01"),
           True),
        Gloss(("electronic", "digital"), True, ("artifact.n.01",)),
    )),
    Reading("Is it a liquid?", (
        Is(("beverage.n.01", "milk.n.01", "shampoo.n.01", "water.n.06"), True),
        Gloss(("liquid",), True, ("substance.n.01", "substance.n.07")),
    )),
    Reading("Is it a toiletry or a cosmetic?", (
        Is(("dentifrice.n.01", "shampoo.n.01", "soap.n.01", "toilet_soap.n.01"), True),
    )),
    Reading("Is it a dessert or a sweet?", (
        Is(("cake.n.03", "cookie.n.01", "candy.n.01", "chocolate.n.02",
            "frozen_dessert.n.01", "ice_cream.n.01"), True),
    ), any_sense=True),
    Reading("Is it a structure or a construction?", (
        Is(("natural_elevation.n.01", "geological_formation.n.01"), False),
        Is(("facility.n.01",), True),
    )),
    Reading("Is it a vessel for holding liquids?", (
        Gloss(("water", "liquid", "liquids", "drinks", "drinking", "soup"), True,
              ("container.n.01",)),
    )),
    Reading("Is it sports equipment?", (
        Is(("racket.n.04", "skateboard.n.01", "ball.n.01", "ski.n.01", "surfboard.n.01"), True),
    )),
    Reading("Is it a baked good, like bread or cake?", (), any_sense=True),
    Reading("Is it a vehicle?", (Is(("skateboard.n.01",), False),)),
    Reading("Is it furniture?", (Is(("piano.n.01", "toilet.n.02", "mirror.n.01"), False),)),
    Reading("Is it a home appliance?", (
        Is(("kitchen_appliance.n.01", "white_goods.n.01", "vacuum.n.04", "hand_blower.n.01",
            "mixer.n.04", "toaster.n.02"), True),
    )),
)  # fmt: skip
