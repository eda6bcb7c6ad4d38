import { checkJava, ensureDynamoDbLocal } from './dynamodb-local-install.ts';

/** `npm run engines:install`: makes sure the local engines are present before tests or the local stack start. */
checkJava();
const dir = ensureDynamoDbLocal((line) => console.log(line));
console.log(`DynamoDB Local ready in ${dir}`);
