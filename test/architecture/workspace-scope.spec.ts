import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { newId, parseWorkspaceId, type WorkspaceId } from '@app/contracts';
import type { ApiKeysRepository } from '@app/auth';
import type { CustomersRepository } from '../../apps/gateway/src/customers/customers.repository';
import type { TimelineRepository } from '../../apps/projector/src/timeline/timeline.repository';
import type { DeliveriesRepository } from '../../apps/webhook-dispatcher/src/delivery/deliveries.repository';
import type { WebhookTargetsRepository } from '../../apps/webhook-dispatcher/src/targets/webhook-targets.repository';

const ROOT = join(__dirname, '../..');
/** A column's name (`workspace_id`): a repository maps it to the domain's before anything leaves it. */
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;

/**
 * Never called: what matters is which of these calls compile. Each `@ts-expect-error` line must fail to
 * compile (a plain string where a WorkspaceId belongs, or no workspace at all); the spec below type-checks
 * this file and fails on an unused `@ts-expect-error`, so the rule cannot be loosened without a red test.
 */
export function typeLevelCalls(
  targets: WebhookTargetsRepository,
  deliveries: DeliveriesRepository,
  timeline: TimelineRepository,
  customers: CustomersRepository,
  apiKeys: ApiKeysRepository,
  workspaceId: WorkspaceId,
  plain: string,
): void {
  // @ts-expect-error a plain string is not a WorkspaceId
  void targets.find(plain, 'whTarget_1');
  // @ts-expect-error nor is an id that merely looks like one
  void deliveries.find(newId('w'), 'whDelivery_1');
  // @ts-expect-error a scoped query carries a checked workspace too
  void timeline.page({ workspaceId: plain, externalId: 'user_1', limit: 10 });
  // @ts-expect-error no tenant method runs without its workspace
  void targets.list(10);
  // @ts-expect-error in a transaction, the workspace still comes with the call
  void customers.find({} as Parameters<CustomersRepository['find']>[0], plain, 'user_42');
  // @ts-expect-error one workspace's keys need a WorkspaceId, not a name or a raw id
  void apiKeys.list(plain);

  // The same calls with a checked workspace compile.
  void targets.find(workspaceId, 'whTarget_1');
  void deliveries.find(parseWorkspaceId(newId('w')), 'whDelivery_1');
  void timeline.page({ workspaceId, externalId: 'user_1', limit: 10 });
  void targets.list(workspaceId, 10);
  void apiKeys.list(workspaceId);
}

/** Repository methods that take no workspace and are not `…AcrossWorkspaces`, and why. */
const UNSCOPED: Record<string, string> = {
  'WorkspacesRepository.*': 'the tenants themselves: looked up by name or id, they hold no tenant data',
  'RebuildTablesRepository.*':
    "a rebuild's DDL on whole read-model tables (locks, copies, the swap); no rows",
  'OutboxRepository.append':
    'the outbox is one queue for all workspaces with no workspace column; each message names its own',
};

function program(): ts.Program {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, { noEmit: true }, configPath);
  const repositories = parsed.fileNames.filter((f) => /\/(apps|libs)\/.*\.repository\.ts$/.test(f));
  return ts.createProgram([__filename, ...repositories], parsed.options);
}

describe('tenancy: every repository query is scoped by a WorkspaceId the type system checks', () => {
  let checked: ts.Program;

  beforeAll(() => {
    checked = program();
  });

  it('refuses a plain string where a WorkspaceId belongs (every @ts-expect-error above is needed)', () => {
    const file = checked.getSourceFile(__filename)!;
    const problems = ts
      .getPreEmitDiagnostics(checked, file)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('takes the workspace first in every public repository method, unless it is named …AcrossWorkspaces', () => {
    const checker = checked.getTypeChecker();
    const workspaceId = workspaceIdType(checked, checker);
    const stringType = checker.getStringType();
    const isWorkspaceId = (type: ts.Type | undefined) =>
      type !== undefined &&
      !checker.isTypeAssignableTo(stringType, type) &&
      checker.isTypeAssignableTo(type, workspaceId);
    const scopes = (type: ts.Type): boolean => {
      if (isWorkspaceId(type)) return true;
      const element = checker.isArrayType(type)
        ? checker.getTypeArguments(type as ts.TypeReference)[0]
        : type;
      const property = element.getProperty('workspaceId');
      return property !== undefined && isWorkspaceId(checker.getTypeOfSymbol(property));
    };

    const unscoped = publicRepositoryMethods(checked).filter(({ name, signature }) => {
      const [className] = name.split('.');
      if (name.endsWith('AcrossWorkspaces') || UNSCOPED[name] || UNSCOPED[`${className}.*`]) return false;
      const parameters = signature.getParameters().map((p) => checker.getTypeOfSymbol(p));
      const first = parameters[0] && isEntityManager(parameters[0]) ? parameters[1] : parameters[0];
      return !first || !scopes(first);
    });

    const names = publicRepositoryMethods(checked).map((m) => m.name);
    expect(names.length).toBeGreaterThan(50); // the files were found and read
    expect(unscoped.map((m) => m.name)).toEqual([]);
    // An exemption outlives nothing: each names a method (or class) that still exists.
    const exempted = (key: string) =>
      names.some((name) => name === key || name.startsWith(key.replace(/\*$/, '')));
    expect(Object.keys(UNSCOPED).filter((key) => !exempted(key))).toEqual([]);
  });

  it('returns domain types from every public repository method, never rows with column names', () => {
    const checker = checked.getTypeChecker();
    const snakeCased = publicRepositoryMethods(checked).flatMap(({ name, signature }) => {
      const returned = checker.getAwaitedType(signature.getReturnType()) ?? signature.getReturnType();
      const fields = propertyNamesOf(checker, returned).filter((field) => SNAKE_CASE.test(field));
      return fields.length > 0 ? [`${name}: ${fields.join(', ')}`] : [];
    });

    expect(snakeCased).toEqual([]);
  });
});

function workspaceIdType(checked: ts.Program, checker: ts.TypeChecker): ts.Type {
  const ids = checked.getSourceFile(join(ROOT, 'libs/contracts/src/ids.ts'))!;
  const symbol = checker
    .getExportsOfModule(checker.getSymbolAtLocation(ids)!)
    .find((s) => s.name === 'WorkspaceId')!;
  return checker.getDeclaredTypeOfSymbol(symbol);
}

/** The handle a method runs its statements through (a transaction's EntityManager, or the DataSource's pool). */
const isEntityManager = (type: ts.Type) =>
  ['EntityManager', 'DataSource'].includes(type.getSymbol()?.name ?? '');

/** `Class.method` and signature of every public method of every `…Repository` class in apps and libs. */
function publicRepositoryMethods(checked: ts.Program): Array<{ name: string; signature: ts.Signature }> {
  const checker = checked.getTypeChecker();
  const methods: Array<{ name: string; signature: ts.Signature }> = [];
  for (const file of checked.getSourceFiles()) {
    if (!file.fileName.endsWith('.repository.ts') || relative(ROOT, file.fileName).startsWith('..')) continue;
    for (const statement of file.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name?.text.endsWith('Repository')) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
          continue;
        const signature = checker.getSignatureFromDeclaration(member)!;
        methods.push({ name: `${statement.name.text}.${member.name.text}`, signature });
      }
    }
  }
  return methods;
}

/** The field names of what a method returns: of the object, the array's elements, each member of a union. */
function propertyNamesOf(checker: ts.TypeChecker, type: ts.Type): string[] {
  if (type.isUnion()) return type.types.flatMap((member) => propertyNamesOf(checker, member));
  if (checker.isArrayType(type))
    return propertyNamesOf(checker, checker.getTypeArguments(type as ts.TypeReference)[0]);
  if (!(type.flags & ts.TypeFlags.Object)) return [];
  return type.getProperties().map((p) => p.name);
}
