import { beforeAll, expect, it } from "vitest";
import { select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Car, Garage, LoadBase, Truck, Vehicle } from "../../../fixtures/inheritance/polymorphic-load.ts";
import { classOf, shape } from "./inheritance-support.ts";

const CLASSES = { Car, Truck, Vehicle };

describeEachSessionKind("inheritance: the mapper's polymorphicLoad", (db) => {
  const ctx = useSessionDatabase(db, "inherit_polyload", LoadBase.metadata);

  beforeAll(async () => {
    await using session = ctx.openSession();
    session.add(new Garage({ id: 1 }));
    session.add(new Vehicle({ id: 1, garageId: 1 }));
    session.add(new Car({ id: 2, doors: 4, garageId: 1 }));
    session.add(new Truck({ id: 3, payload: 7, garageId: 1 }));
    await session.commit();
  });

  it('a base query: "inline" subclasses LEFT OUTER JOINed, "selectin" ones by a SELECT after', async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const vehicles = (await session.scalars(select(Vehicle).orderBy(Vehicle.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT vehicles.id, vehicles.kind, vehicles.garage_id, cars.doors FROM vehicles LEFT OUTER JOIN cars ON cars.id = vehicles.id ORDER BY vehicles.id",
      "SELECT vehicles.id, trucks.payload FROM vehicles JOIN trucks ON vehicles.id = trucks.id WHERE vehicles.id IN (?) ORDER BY vehicles.id",
    ]);
    expect(vehicles.map((v) => classOf(v, CLASSES))).toEqual(["Vehicle", "Car", "Truck"]);
    expect((vehicles[1] as Car).doors).toBe(4);
    expect((vehicles[2] as Truck).payload).toBe(7);
  });

  it('a relationship to the base: "inline" subclasses joined into its SELECT, "selectin" ones loaded after', async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const garage = (await session.get(Garage, 1)) as Garage;
    expect(recorder.statements).toHaveLength(3);
    expect(shape(recorder.statements[1] as never)).toBe(
      "SELECT vehicles.garage_id, vehicles.id, vehicles.kind, vehicles.garage_id AS garage_id_1, cars.doors FROM vehicles LEFT OUTER JOIN cars ON cars.id = vehicles.id WHERE vehicles.garage_id IN (?)",
    );
    const truck = garage.vehicles.find((v) => v instanceof Truck);
    expect(truck instanceof Truck && truck.payload).toBe(7);
    const car = garage.vehicles.find((v) => v instanceof Car);
    expect(car instanceof Car && car.doors).toBe(4);
  });
});
