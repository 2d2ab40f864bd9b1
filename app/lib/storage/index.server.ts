import { LocalStorageDriver } from "./local.server";
import { S3StorageDriver, type S3StorageConfig } from "./s3.server";
import type { StorageDriver } from "./types";

export type StorageConfig = { driver: "local"; root: string } | ({ driver: "s3" } & S3StorageConfig);

export function createStorage(config: StorageConfig): StorageDriver {
  switch (config.driver) {
    case "local":
      return new LocalStorageDriver(config.root);
    case "s3":
      return new S3StorageDriver(config);
    default: {
      const unknown: never = config;
      throw new Error(`Unknown storage driver: ${JSON.stringify(unknown)}`);
    }
  }
}

export { LocalStorageDriver } from "./local.server";
export { S3StorageDriver, type S3StorageConfig } from "./s3.server";
export * from "./types";
