"""The other tasks of ``uniform_with_std(shape, std)``: values drawn uniformly, with the standard deviation
asked for, from another range than one centred on 0 (checks/exercises/uniform_with_std.py is the course's
own, ``centred``). ``ranges.py`` judges a range given by its bounds; each variant declares its own."""
