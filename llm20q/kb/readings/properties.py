"""Readings of the property questions (issue 20 item 2): where a thing is found, its size,
material, whether it is eaten, needs electricity, has a screen, wheels, legs, can fly or swim...

Each reading answers yes for the families WordNet's tree or a gloss word names ("a kitchen
appliance (usually electric) for toasting bread": kitchen, electric, cooking) and no otherwise
(``default``): most things are not made of glass and have no wheels, so silence would waste
the question. Only the property questions with a reading here are answered; the rest stay
unlabelled (0.5) until an LLM labels them (:mod:`llm20q.kb.readings.llm`).

Shortcut: hand-written from ordinary usage (the panel's rubric, docs/panel.md), not fitted;
sizes and materials are the usual kind's ("a chair is a seat with legs").
"""

from __future__ import annotations

from dataclasses import replace

from llm20q.kb.readings.rules import Gloss, Is, Lex, Reading

_ART = ("artifact.n.01",)
_FOOD_LEX = ("noun.food",)
_ELECTRIC = ("electric", "electrical", "electrically", "electronic", "battery", "batteries")
_LARGE = (
    "vehicle.n.01",
    "craft.n.02",
    "furniture.n.01",
    "structure.n.01",
    "building.n.01",
    "white_goods.n.01",
    "natural_elevation.n.01",
    "body_of_water.n.01",
    "celestial_body.n.01",
    "tree.n.01",
    "piano.n.01",
    "person.n.01",
    "geological_formation.n.01",
    "room.n.01",
    "facility.n.01",
    "atmospheric_phenomenon.n.01",
)
# Gloss words of size ("a small portable timepiece", "a large thick pad").
_BIG = ("large", "big", "huge", "massive", "tall", "heavy", "giant")
_SMALL = ("small", "tiny", "little", "pocket", "handheld", "miniature")
_SMALL_ANIMALS = (
    "rodent.n.01",
    "insect.n.01",
    "arachnid.n.01",
    "amphibian.n.03",
    "songbird.n.01",
    "fish.n.01",
    "worm.n.01",
    "mollusk.n.01",
)

_PROPERTY: tuple[Reading, ...] = (
    Reading("Is it found in a kitchen?", (
        Is(("room.n.01",), False),
        Is(("kitchen_utensil.n.01", "kitchen_appliance.n.01", "cooking_utensil.n.01",
            "cookware.n.01", "tableware.n.01", "refrigerator.n.01", "beverage.n.01",
            "crockery.n.01", "sink.n.01", "stove.n.01"), True),
        Lex(_FOOD_LEX, True),
        Gloss(("kitchen", "cooking"), True, _ART),
    )),
    Reading("Is it found in a bathroom?", (
        Is(("room.n.01",), False),
        Is(("toiletry.n.01", "dentifrice.n.01", "shampoo.n.01", "soap.n.01", "towel.n.01",
            "toilet.n.02", "bathtub.n.01", "shower.n.01", "toothbrush.n.01",
            "hand_blower.n.01", "razor.n.01", "washbasin.n.01", "mirror.n.01"), True),
        Gloss(("bathroom", "bath", "toilet", "teeth", "hair"), True, _ART),
    )),
    Reading("Is it found in a bedroom?", (
        Is(("room.n.01",), False),
        Is(("bed.n.01", "bedclothes.n.01", "pillow.n.01", "bedroom_furniture.n.01",
            "garment.n.01", "hosiery.n.01", "dresser.n.01", "wardrobe.n.01"), True),
        Gloss(("bed", "bedroom", "sleep", "sleeping"), True, _ART),
    )),
    Reading("Is it usually found outdoors?", (
        Is(("dog.n.01", "domestic_cat.n.01", "house_cat.n.01", "goldfish.n.01",
            "food.n.01", "food.n.02", "houseplant.n.01"), False),
        Is(("animal.n.01", "plant.n.02", "natural_object.n.01", "vehicle.n.01",
            "building.n.01", "bridge.n.01", "fence.n.01", "garden_tool.n.01",
            "geological_formation.n.01", "body_of_water.n.01", "mower.n.01", "tree.n.01",
            "facility.n.01"), True),
        Lex(("noun.object", "noun.plant"), True),
        Gloss(("outdoor", "outdoors", "garden", "gardens", "yard", "street", "road", "lawn",
               "plants"), True, _ART),
    )),
    Reading("Is it bigger than a loaf of bread?", (
        Is((*_SMALL_ANIMALS, "songbird.n.01"), False),
        Is((*_LARGE, "mammal.n.01", "home_appliance.n.01", "computer.n.01",
            "television_receiver.n.01", "bag.n.06", "suitcase.n.01", "musical_instrument.n.01",
            "racket.n.04", "skateboard.n.01", "bedclothes.n.01", "cushion.n.03",
            "cleaning_implement.n.01", "kite.n.03"), True),
        Gloss(_BIG, True),
        Gloss(_SMALL, False),
    )),
    Reading("Can you hold it in one hand?", (
        Is(_SMALL_ANIMALS, True),
        Is((*_LARGE, "mammal.n.01", "home_appliance.n.01", "bird.n.01", "beverage.n.01",
            "dish.n.02"), False),
        Is(("hand_tool.n.01", "kitchen_utensil.n.01", "cutlery.n.02", "tableware.n.01",
            "writing_implement.n.01", "edible_fruit.n.01", "vegetable.n.01",
            "baked_goods.n.01", "toiletry.n.01", "cleansing_agent.n.01", "jewelry.n.01",
            "timepiece.n.01", "telephone.n.01", "calculator.n.02", "camera.n.01",
            "wallet.n.01", "book.n.02", "book.n.01", "ball.n.01", "key.n.01", "bucket.n.01",
            "watering_can.n.01", "pot.n.01", "pan.n.01", "toothbrush.n.01",
            "flashlight.n.01", "candle.n.01", "cup.n.01", "mug.n.04", "bottle.n.01",
            "hosiery.n.01", "glove.n.02", "hat.n.01", "sandwich.n.01", "egg.n.02",
            "egg.n.01", "feather.n.01", "rock.n.02", "pencil.n.01", "pen.n.01",
            "earphone.n.01", "racket.n.04", "piece_of_cloth.n.01", "cushion.n.03"), True),
        Lex(("noun.food",), True),
        Gloss(("handheld", "hand", "pocket"), True, _ART),
        Gloss(("electric", "electrically", "motor"), False, _ART),
        Gloss(_SMALL, True),
        Gloss(_BIG, False),
    )),
    Reading("Is it made of metal?", (
        Is(("cutlery.n.02", "edge_tool.n.01", "hammer.n.02", "screwdriver.n.01",
            "wrench.n.03", "saw.n.02", "motor_vehicle.n.01", "bicycle.n.01",
            "coin.n.01", "key.n.01", "saucepan.n.01", "pan.n.01", "pot.n.01",
            "white_goods.n.01", "brass.n.02", "metal.n.01", "train.n.01", "airplane.n.01"),
           True),
        Gloss(("metal", "metallic", "steel", "iron", "aluminum", "copper", "brass", "tin"),
              True, _ART),
    )),
    Reading("Is it made of wood?", (
        Is(("pencil.n.01", "wood.n.01", "canoe.n.01", "stringed_instrument.n.01"), True),
        Gloss(("wood", "wooden", "timber"), True, _ART),
    )),
    Reading("Is it made of plastic?", (
        Is(("plastic.n.01", "credit_card.n.01"), True),
        Gloss(("plastic",), True, _ART),
    )),
    Reading("Is it made of fabric or cloth?", (
        Is(("hosiery.n.01",), True),
        Is(("footwear.n.01", "footwear.n.02"), False),
        Is(("garment.n.01", "hat.n.01", "fabric.n.01", "bedclothes.n.01", "piece_of_cloth.n.01",
            "cushion.n.03", "pillow.n.01", "hosiery.n.01", "backpack.n.01", "curtain.n.01",
            "flag.n.01"), True),
        Gloss(("cloth", "fabric", "cotton", "wool", "woolen", "textile", "silk", "denim",
               "knitted", "canvas"), True, _ART),
    )),
    Reading("Is it made of glass?", (
        Is(("mirror.n.01", "window.n.01", "light_bulb.n.01", "glass.n.02", "glass.n.01",
            "spectacles.n.01", "sunglasses.n.01", "lens.n.01"), True),
        Gloss(("glass",), True, _ART),
    )),
    Reading("Can you eat it?", (
        Is(("beverage.n.01", "milk.n.01", "feed.n.01"), False),
        Is(("edible_fruit.n.01", "vegetable.n.01", "dish.n.02", "baked_goods.n.01",
            "foodstuff.n.02", "meat.n.01", "dessert.n.01", "sweet.n.03", "food.n.02",
            "fish.n.02", "chicken.n.01", "turkey.n.01"), True),
        Lex(_FOOD_LEX, True),
        Gloss(("edible",), True),
    ), any_sense=True),
    Reading("Does it need electricity to work?", (
        Is(("candle.n.01", "musical_instrument.n.01"), False),
        Is(("electrical_device.n.01", "electronic_equipment.n.01", "electronic_device.n.01",
            "home_appliance.n.01", "computer.n.01", "telephone.n.01",
            "television_receiver.n.01", "lamp.n.01", "lamp.n.02", "power_tool.n.01",
            "light_bulb.n.01", "flashlight.n.01", "camera.n.01", "calculator.n.02",
            "earphone.n.01", "headphone.n.01", "radio_receiver.n.01"), True),
        Gloss((*_ELECTRIC, "electricity"), True, _ART),
    )),
    Reading("Does it use batteries?", (
        Is(("portable_computer.n.01", "cellular_telephone.n.01", "camera.n.01",
            "calculator.n.02", "flashlight.n.01", "remote_control.n.01", "hearing_aid.n.01"),
           True),
        Gloss(("battery", "batteries", "cordless"), True, _ART),
    )),
    Reading("Does it have a screen?", (
        Is(("computer.n.01", "television_receiver.n.01", "cellular_telephone.n.01",
            "calculator.n.02", "monitor.n.04", "camera.n.01", "screen.n.01"), True),
        Gloss(("screen", "display"), True, _ART),
    )),
    Reading("Does it have moving parts?", (
        Is(("canoe.n.01", "small_boat.n.01", "computer.n.01", "calculator.n.02",
            "electronic_equipment.n.01"), False),
        Is(("machine.n.01", "mechanical_device.n.01", "mechanism.n.05", "home_appliance.n.01",
            "vehicle.n.01", "timepiece.n.01", "camera.n.01", "scissors.n.01", "umbrella.n.01",
            "piano.n.01", "brass.n.02", "skateboard.n.01", "wheelbarrow.n.01",
            "power_tool.n.01", "mower.n.01", "clock.n.01", "blower.n.01"), True),
        Gloss(("wheel", "wheels", "motor", "engine", "blades", "pedals", "hinged", "rotating"),
              True, _ART),
    )),
    Reading("Does it have wheels?", (
        Is(("helicopter.n.01", "sled.n.01", "boat.n.01", "vessel.n.02"), False),
        Is(("wheeled_vehicle.n.01", "airplane.n.01", "train.n.01", "locomotive.n.01",
            "skateboard.n.01", "wheelbarrow.n.01", "mower.n.01", "vacuum.n.04",
            "roller_skate.n.01"), True),
        Gloss(("wheel", "wheels", "wheeled", "casters"), True, _ART),
    )),
    Reading("Can you ride in it or on it?", (
        Is(("structure.n.01", "facility.n.01"), False),
        Is(("conveyance.n.03", "vehicle.n.01", "skateboard.n.01", "horse.n.01",
            "camel.n.01", "elevator.n.01"), True),
        Gloss(("ridden", "ride", "riding", "passengers"), True),
    )),
    Reading("Is it used for cooking?", (
        Is(("cooking_utensil.n.01", "cookware.n.01", "kitchen_appliance.n.01", "stove.n.01",
            "oven.n.01", "kitchen.n.01", "turner.n.08", "mixer.n.04", "spatula.n.01"), True),
        Gloss(("cooking", "cook", "cooks", "frying", "baking", "toasting", "roasting",
               "boiling"), True, _ART),
    )),
    Reading("Is it used for cleaning?", (
        Is(("cleansing_agent.n.01", "cleaning_implement.n.01", "washer.n.03", "vacuum.n.04",
            "dishwasher.n.01", "toothbrush.n.01", "broom.n.01",
            "soap.n.01"), True),
        Gloss(("cleaning", "clean", "cleanse", "cleansing", "washing", "wiping", "scrubbing"),
              True, _ART),
    )),
    Reading("Was it ever alive?", (
        Is(("organism.n.01", "produce.n.01", "edible_fruit.n.01", "vegetable.n.01",
            "meat.n.01", "fish.n.02", "plant_part.n.01", "wood.n.01"), True),
        Lex(("noun.animal", "noun.plant"), True),
    )),
    Reading("Does it have legs?", (
        Is(("snake.n.01", "fish.n.01", "worm.n.01", "whale.n.02", "cetacean.n.01",
            "seal.n.09", "mollusk.n.01"), False),
        Is(("mammal.n.01", "bird.n.01", "insect.n.01", "arachnid.n.01", "amphibian.n.03",
            "reptile.n.01", "crustacean.n.01", "seat.n.03", "table.n.02", "bed.n.01",
            "desk.n.01", "chair.n.01"), True),
        Gloss(("legs", "legged"), True),
    )),
    Reading("Can it fly?", (
        Is(("penguin.n.01", "ratite.n.01", "chicken.n.02", "ant.n.01", "flightless_bird.n.01"),
           False),
        Is(("bird.n.01", "aircraft.n.01", "bat.n.01", "bee.n.01", "butterfly.n.01",
            "fly.n.01", "moth.n.01", "mosquito.n.01", "dragonfly.n.01", "kite.n.03",
            "wasp.n.02", "beetle.n.01"), True),
        Gloss(("flying", "flies", "fly", "flight", "winged"), True),
    )),
    Reading("Can it swim?", (
        Is(("fish.n.01", "cetacean.n.01", "seal.n.09", "penguin.n.01", "frog.n.01",
            "amphibian.n.03", "waterfowl.n.01", "dog.n.01", "turtle.n.02", "otter.n.02",
            "crocodilian_reptile.n.01", "aquatic_mammal.n.01", "shark.n.01"), True),
        Gloss(("swimming", "swims", "aquatic", "marine"), True, ("animal.n.01",)),
    )),
    Reading("Is it a pet?", (
        Is(("dog.n.01", "domestic_cat.n.01", "house_cat.n.01", "goldfish.n.01",
            "hamster.n.01", "guinea_pig.n.02", "parrot.n.01", "budgerigar.n.01",
            "pet.n.01"), True),
        Gloss(("pet", "pets"), True, ("animal.n.01",)),
    )),
    Reading("Is it sharp?", (
        Is(("knife.n.01", "knife.n.02", "edge_tool.n.01", "saw.n.02", "scissors.n.01",
            "needle.n.03", "cactus.n.01", "razor.n.01", "blade.n.09",
            "sword.n.01", "spear.n.01"), True),
        Gloss(("sharp", "cutting", "spiny", "thorny"), True),
    )),
    Reading("Is it soft?", (
        Is(("hosiery.n.01",), True),
        Is(("footwear.n.01", "footwear.n.02", "shell.n.03", "reptile.n.01", "insect.n.01",
            "fish.n.01", "elephant.n.01", "pachyderm.n.01", "pig.n.01", "swine.n.01",
            "hippopotamus.n.01", "rhinoceros.n.01"), False),
        Is(("bedclothes.n.01", "pillow.n.01", "cushion.n.03", "towel.n.01", "garment.n.01",
            "hosiery.n.01", "sofa.n.01", "bed.n.01", "mattress.n.01", "bread.n.01",
            "cake.n.03", "ice_cream.n.01", "frozen_dessert.n.01", "banana.n.02",
            "grass.n.01", "feather.n.01", "fabric.n.01"), True),
        Gloss(("soft", "furry", "fluffy", "padded", "plush", "cushion"), True),
    )),
    Reading("Is it a room or part of a building?", (
        Is(("room.n.01",), True),
    )),
)  # fmt: skip

# A compound's first word that answers the question by itself ("wooden spoon", "kitchen scale").
MODIFIERS: dict[str, tuple[str, ...]] = {
    "Is it found in a kitchen?": ("kitchen", "cooking", "baking", "frying", "dish", "coffee",
                                  "tea", "bread", "salad", "soup", "cake", "pizza"),
    "Is it found in a bathroom?": ("bathroom", "bath", "shower", "toilet", "tooth", "shaving"),
    "Is it found in a bedroom?": ("bedroom", "bed", "pajama", "pyjama", "sleeping", "bedside"),
    "Is it usually found outdoors?": ("garden", "outdoor", "lawn", "patio", "street", "yard",
                                      "wild", "sea", "mountain", "river", "field", "farm",
                                      "park", "road", "traffic"),
    "Is it made of metal?": ("metal", "steel", "iron", "aluminum", "aluminium", "copper",
                             "brass", "tin", "silver", "gold", "bronze", "chrome", "wire"),
    "Is it made of wood?": ("wooden", "wood", "timber"),
    "Is it made of plastic?": ("plastic", "vinyl", "nylon", "acrylic", "polyester"),
    "Is it made of fabric or cloth?": ("cotton", "wool", "woolen", "woollen", "silk", "linen",
                                       "denim", "fabric", "cloth", "knitted", "fleece",
                                       "velvet", "felt"),
    "Is it made of glass?": ("glass", "crystal"),
    "Does it need electricity to work?": ("electric", "electrical", "electronic", "digital",
                                          "cordless", "smart", "battery", "solar", "led",
                                          "usb", "wireless"),
    "Does it use batteries?": ("cordless", "battery", "wireless", "portable"),
    "Does it have a screen?": ("touchscreen", "lcd", "digital"),
    "Does it have wheels?": ("wheeled", "rolling"),
    "Is it used for cooking?": ("cooking", "frying", "baking", "roasting", "grill", "barbecue"),
    "Is it used for cleaning?": ("cleaning", "washing", "scrub", "scrubbing", "dust", "mop"),
    "Can it fly?": ("flying",),
    "Is it soft?": ("soft", "plush", "fluffy", "fleece", "velvet", "feather", "foam"),
    "Is it sharp?": ("sharp",),
}  # fmt: skip

PROPERTY: tuple[Reading, ...] = tuple(
    replace(r, modifiers=MODIFIERS.get(r.question, ())) for r in _PROPERTY
)
