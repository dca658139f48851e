import 'reflect-metadata';
import { routeOf } from './ingest-fast-path';

describe(routeOf.name, () => {
  it("reads each ingest route's URL and success status from the controller's own decorators", () => {
    expect(routeOf('create')).toEqual({
      url: '/api/v1/customer-events',
      status: 201,
    });
    expect(routeOf('createBatch')).toEqual({
      url: '/api/v1/customer-events/batch',
      status: 200,
    });
  });
});
